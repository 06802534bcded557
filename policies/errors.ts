/** A problem that stops synthesis: an unknown action, a document over a quota. One line each. */
export class SynthesisError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "SynthesisError";
  }
}
