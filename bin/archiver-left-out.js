/**
 * Stands in for `archiver` in the bundled app (bin/bundle.js). cdktf loads it on start-up but uses it
 * only to zip a TerraformAsset, which this project never creates; were one ever added, synthesis
 * stops here instead of writing a stack without its asset.
 */
"use strict";

module.exports = function archiverLeftOut() {
  throw new Error(
    "the bundled app leaves out `archiver`, which cdktf needs to zip a TerraformAsset; " +
      "remove `archiver` from LEFT_OUT in bin/bundle.js to synthesize assets (the app then starts ~0.1 s slower)",
  );
};
