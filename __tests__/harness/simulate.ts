/** What a principal may do under an account's SCP chain, asked of iam-simulate by review/evaluate.ts. */
import type { ChainLevel } from "./organization";
import { evaluate, type Request, type Result } from "../../review/evaluate";

export { ADMINISTRATOR, principalArn, principalContext, type Principal, type Request } from "../../review/evaluate";

export interface Decision {
  readonly result: Result;
  /** Sids of the SCP statements that denied the request, if any. */
  readonly deniedBy: string[];
}

export async function decide(chain: ChainLevel[], request: Request, orgId?: string): Promise<Decision> {
  const { result, deniedBy } = await evaluate(chain, request, orgId);
  return { result, deniedBy };
}
