/**
 * What every stack of the baseline shares: its own state in the configured S3 backend (one key
 * per stack, encrypted, S3 lockfile) and an AWS provider that acts in the stack's account through
 * the deployment role.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformStack, type TerraformResource } from "cdktf";
import type { BaselineConfig } from "../config/schema";
import type { AddressMove, MovedResource } from "../policies/legacy-addresses";

export { snakeCase } from "../config/identifiers";

export const MANAGED_BY_TAG = { "managed-by": "claude-platform-baseline" };

export interface StackTarget {
  /** The stack's name: also its state key and its directory under cdktf.out/stacks. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

/**
 * A stack of the baseline. Every value it holds comes from the config or the plan, never from
 * another stack's resource, so cdktf's preparing pass (which resolves every element once more,
 * only to find cross-stack references) would find none: the stack skips it and keeps the backend
 * check it makes.
 */
export class BaselineStack extends TerraformStack {
  public override prepareStack(): void {
    this.ensureBackendExists();
  }
}

export function stateKey(config: BaselineConfig, stackName: string): string {
  return `${config.stateBackend.keyPrefix}${stackName}.tfstate`;
}

export function configureStack(stack: TerraformStack, config: BaselineConfig, target: StackTarget): AwsProvider {
  const backend = new S3Backend(stack, {
    bucket: config.stateBackend.bucket,
    key: stateKey(config, target.name),
    region: config.stateBackend.region,
    encrypt: true,
  });
  // S3-native locking (Terraform >= 1.10); the prebuilt bindings predate the argument.
  backend.addOverride("use_lockfile", true);
  return new AwsProvider(stack, "aws", {
    region: target.region,
    allowedAccountIds: [target.account],
    assumeRole: config.deployment.assumeRole
      ? [{ roleArn: `arn:aws:iam::${target.account}:role/${config.deployment.roleName}`, sessionName: `claude-platform-baseline-${target.name}` }]
      : undefined,
    defaultTags: [{ tags: MANAGED_BY_TAG }],
  });
}

/**
 * A `moved` block from the resource's address in the previous scheme, where it had another one
 * (policies/legacy-addresses.ts): the deployed resource is kept, not destroyed and re-created.
 */
export function moveFromPreviousAddress(resource: TerraformResource, kind: MovedResource, moves: readonly AddressMove[]): void {
  const move = moves.find((m) => m.resource === kind && m.to === resource.friendlyUniqueId);
  if (move) resource.moveFromId(`${resource.terraformResourceType}.${move.from}`);
}
