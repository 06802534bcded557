/**
 * cdktf records the whole call stack of every token it creates (Intrinsic, Lazy, lists of computed
 * attributes), only to print it should that token later fail to resolve. Resolving a stack creates
 * tokens deep inside cdktf's recursive resolver, and formatting those stacks was ~6% of the
 * sample's synthesis and ~70 ms at a thousand teams. The baseline's stacks hold literals checked
 * before synthesis and references between their own resources, so such a failure is a bug in the
 * stacks, not in a config: the app records no creation stacks unless BASELINE_DEBUG is set, and a
 * token error still says what failed, without where the token was made.
 *
 * cdktf calls the function through its module's exports at each use, so replacing the export is
 * enough. The module is internal to cdktf: an upgrade that moves it fails the build here (the
 * import), and `__tests__/synthesis.test.ts` checks that tokens carry no creation stack.
 */
import * as stackTrace from "cdktf/lib/tokens/private/stack-trace";

export function skipTokenCreationStacks(env: NodeJS.ProcessEnv = process.env): void {
  if (env.BASELINE_DEBUG) return;
  (stackTrace as { captureStackTrace: (below?: unknown) => string[] }).captureStackTrace = () => [];
}
