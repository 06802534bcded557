/**
 * `cdktf synth --hcl` writes HCL that Terraform accepts but does not leave as it is: a reference
 * as a quoted interpolation (`"${aws_kms_key.trail-key.arn}"`, which `terraform fmt` unwraps) and
 * `depends_on` entries as quoted addresses (deprecated since Terraform 0.12: a warning on every
 * validate). This rewrites exactly those two forms, so the files pass `terraform fmt -check` and
 * validate without warnings. A quote inside a string is escaped (`\"`), so an embedded policy
 * document is never touched.
 */

/** A plain reference: `aws_s3_bucket.log-bucket.id`, `data.x.y.z`, `var.name`. */
const REFERENCE = String.raw`[A-Za-z_][\w-]*(?:\.[\w-]+)+`;

const QUOTED_REFERENCE = new RegExp(String.raw`(?<!\\)"\$\{(${REFERENCE})\}"`, "g");
const DEPENDS_ON = /^(\s*)depends_on = \[\n([\s\S]*?)\n\1\]/gm;

export function canonicalHcl(text: string): string {
  return text
    .replace(QUOTED_REFERENCE, "$1")
    .replace(
      DEPENDS_ON,
      (_block: string, indent: string, entries: string) =>
        `${indent}depends_on = [\n${entries.replace(new RegExp(String.raw`^(\s*)"(${REFERENCE})"(,?)$`, "gm"), "$1$2$3")}\n${indent}]`,
    );
}
