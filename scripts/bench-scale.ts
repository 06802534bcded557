/**
 * `npm run bench -- --scale`: synthesizes generated organizations of growing size and checks them
 * against the scale budgets. Filled in by the scale work of the speed-and-scale issue.
 */
export function main(): number {
  throw new Error("npm run bench -- --scale is not built yet");
}
