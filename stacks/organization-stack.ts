/**
 * The `organization` stack, in the management account: the baseline's SCPs and their attachments.
 * Documents arrive packed, keyed and checked (policies/pack.ts); this stack only wires them, moves
 * the addresses of the previous scheme to them, and exports each SCP's id and name for other
 * repositories.
 */
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { appendTo } from "../config/collections";
import type { BaselineConfig, ControlId } from "../config/schema";
import { compareStrings } from "../policies/document";
import type { AddressMove } from "../policies/legacy-addresses";
import { attachmentLogicalId, type ScpPlan } from "../policies/pack";
import { BaselineStack, configureStack, moveFromPreviousAddress, snakeCase } from "./common";

export const ORGANIZATION_STACK = "organization";

export class OrganizationStack extends BaselineStack {
  constructor(scope: Construct, config: BaselineConfig, scps: ScpPlan, moves: readonly AddressMove[] = []) {
    super(scope, ORGANIZATION_STACK);
    configureStack(this, config, { name: ORGANIZATION_STACK, account: config.organization.managementAccount, region: config.deployment.homeRegion });
    const ids = new Map<ControlId, string[]>();
    for (const scp of scps.documents) {
      const policy = new OrganizationsPolicy(this, scp.logicalId, {
        name: scp.name,
        description: scp.description,
        type: "SERVICE_CONTROL_POLICY",
        content: scp.content,
      });
      moveFromPreviousAddress(policy, "policy", moves);
      for (const target of scp.targets) {
        const attachment = new OrganizationsPolicyAttachment(this, attachmentLogicalId(scp.logicalId, target), { policyId: policy.id, targetId: target });
        moveFromPreviousAddress(attachment, "attachment", moves);
      }
      // By place, not by a rule's name: naming a rule must not change what is synthesized.
      const what = `the SCP that holds ${scp.controlRefs.join(", ")}, attached to ${scp.targets.join(", ")}`;
      new TerraformOutput(this, `scp_${snakeCase(scp.key)}_id`, { value: policy.id, description: `Policy id of ${what}` });
      new TerraformOutput(this, `scp_${snakeCase(scp.key)}_name`, { value: scp.name, description: `Name of ${what}` });
      for (const id of scp.controlIds) appendTo(ids, id, policy.id);
    }
    new TerraformOutput(this, "scp_ids_by_control", {
      value: Object.fromEntries([...ids].sort(([a], [b]) => compareStrings(a, b))),
      description:
        "Policy ids of the SCPs that hold each control, by control id: several where a control is split into parts or configured as rules on different targets",
    });
  }
}
