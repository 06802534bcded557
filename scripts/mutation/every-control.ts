/**
 * The sample org with every control on, and every option that adds statements: what the quota
 * test packs and what the mutation run mutates, so every statement the baseline can emit is in it.
 */
import { readFileSync } from "node:fs";
import { SAMPLE_CONFIG_PATH } from "../../config/load";

export function everyControlYaml(sample = readFileSync(SAMPLE_CONFIG_PATH, "utf8")): string {
  return edit(
    edit(
      edit(
        sample,
        "\ncontrols:\n",
        "\ncontrols:\n" +
          "  limitServiceCredentialAge:\n    attachTo: [r-a1b2]\n    maxAgeDays: 90\n" +
          "  workspaceCreationRules:\n    attachTo: [r-a1b2]\n    requireCustomerManagedKey: true\n    requiredTags: [owner, cost-center]\n    allowedRegions: [us-east-1, us-west-2]\n",
      ),
      "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]\n",
      "  protectWorkspaces:\n    attachTo: [ou-a1b2-work0001]\n    keyAdmins: [arn:aws:iam::*:role/workspace-key-admin]\n",
    ),
    // Key administrators and replication add to tamper protection (the keys' exemption, the replication role).
    "\n  objectLock:\n",
    "\n  keyAdministrators: [arn:aws:iam::222222222222:role/key-custodian]\n" +
      '  replication:\n    destinationBucket: org-audit-archive-copy\n    destinationAccount: "444444444444"\n' +
      "    destinationRegion: us-west-2\n    destinationKeyArn: arn:aws:kms:us-west-2:444444444444:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n" +
      "  objectLock:\n",
  );
}

/** `text` with `from` replaced, which must be there: a sample that changed shape fails loudly, not silently. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the sample config no longer contains ${JSON.stringify(from)}; update scripts/mutation/every-control.ts`);
  return text.replace(from, to);
}
