/**
 * Writes the prebuilt IAM catalogue (policies/catalog.ts, PREBUILT_CATALOG_FILE) into dist/: the
 * baseline services as read from the pinned reference data. bin/build.js runs it after every
 * compile, so it is never older than the lockfile that pins the data. `node dist/scripts/write-iam-catalog.js`.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Catalog, PREBUILT_CATALOG_FILE } from "../policies/catalog";

const DIST = path.resolve(__dirname, "..");

export async function writeIamCatalog(file = path.join(DIST, PREBUILT_CATALOG_FILE)): Promise<void> {
  writeFileSync(file, JSON.stringify(await Catalog.fromReferenceData()));
}

if (require.main === module) void writeIamCatalog();
