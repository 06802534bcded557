/**
 * The `organization` stack, in the management account: the baseline's SCPs and their attachments.
 * Documents arrive packed, keyed and checked (policies/pack.ts); this stack only wires them, and
 * moves the addresses of the previous scheme to them.
 */
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { BaselineConfig } from "../config/schema";
import type { AddressMove } from "../policies/legacy-addresses";
import { attachmentLogicalId, type ScpPlan } from "../policies/pack";
import { configureStack, moveFromPreviousAddress } from "./common";

export const ORGANIZATION_STACK = "organization";

export class OrganizationStack extends TerraformStack {
  constructor(scope: Construct, config: BaselineConfig, scps: ScpPlan, moves: readonly AddressMove[] = []) {
    super(scope, ORGANIZATION_STACK);
    configureStack(this, config, { name: ORGANIZATION_STACK, account: config.organization.managementAccount, region: config.deployment.homeRegion });
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
      new TerraformOutput(this, `${scp.logicalId}-id`, { value: policy.id, description: `Policy id of ${scp.name}` });
    }
  }
}
