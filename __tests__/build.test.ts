/**
 * No entry point runs code older than the sources: cdktf runs the app through bin/cdktf-app.js,
 * which rebuilds dist/ when what the compiler reads has changed (by content, not by time), and
 * refuses with one line when it cannot. Proven on a small project of its own with a stand-in
 * compiler (tsc takes seconds a run; `npm test` runs the real one through the same file first).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
// Plain JavaScript that runs before anything is built; required, not imported, for that reason.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require("../bin/build.js") as {
  ensureBuilt(options: { root: string; log: (line: string) => void; compiler?: string; esbuild?: unknown }): "fresh" | "built" | "failed";
  buildInputs(root: string): string[];
};

let project: string;
let logged: string[];

/**
 * Compiles like tsc as far as this test can tell: each included source to dist/<same path>.js,
 * and a source containing `!error` fails the build with a tsc-style message.
 */
const STAND_IN_COMPILER = `
const fs = require("node:fs"), path = require("node:path");
const { include } = JSON.parse(fs.readFileSync("tsconfig.json", "utf8"));
const sources = include.flatMap((p) => p.endsWith("/**/*.ts") ? fs.readdirSync(p.slice(0, -8), { recursive: true }).filter((f) => f.endsWith(".ts")).map((f) => path.join(p.slice(0, -8), f)) : [p]);
const broken = sources.filter((s) => fs.readFileSync(s, "utf8").includes("!error"));
if (broken.length) { console.log(broken.map((s) => s + "(1,1): error TS2322: stand-in").join("\\n")); process.exit(2); }
for (const s of sources) { const out = path.join("dist", s.replace(/\\.ts$/, ".js")); fs.mkdirSync(path.dirname(out), { recursive: true }); fs.writeFileSync(out, fs.readFileSync(s)); }
`;

function writeSource(file: string, text: string) {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

/** Bundles like esbuild as far as this test can tell: dist/main.js copied to the bundle, or an error for `!unbundlable`. */
const STAND_IN_BUNDLER = {
  buildSync(options: { absWorkingDir: string; entryPoints: string[]; outfile: string }) {
    const source = readFileSync(path.join(options.absWorkingDir, options.entryPoints[0]), "utf8");
    if (source.includes("!unbundlable")) throw new Error("stand-in: cannot bundle");
    mkdirSync(path.dirname(path.join(options.absWorkingDir, options.outfile)), { recursive: true });
    writeFileSync(path.join(options.absWorkingDir, options.outfile), `/* bundle */\n${source}`);
  },
};

/** The fixture's tsconfig.json: what the build compiles, and so what its freshness hash reads. */
const writeConfig = (target: string) =>
  writeSource(
    "tsconfig.json",
    JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: ".", module: "commonjs", target, strict: true }, include: ["main.ts", "lib/**/*.ts"] }),
  );

let bundler: unknown;
const ensureBuilt = () => build.ensureBuilt({ root: project, log: (line) => logged.push(line), compiler: path.join(project, "compiler.js"), esbuild: bundler });
const builtMain = () => readFileSync(path.join(project, "dist", "main.js"), "utf8");
const bundle = () => path.join(project, "dist", "bundle", "main.js");

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), "baseline-build-"));
  logged = [];
  bundler = STAND_IN_BUNDLER;
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
  writeSource("compiler.js", STAND_IN_COMPILER);
  writeConfig("ES2022");
  writeSource("main.ts", 'import { answer } from "./lib/answer";\nexport const main = answer;\n');
  writeSource("lib/answer.ts", "export const answer: number = 41;\n");
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe("bin/build.js", () => {
  test("builds a project that was never built, then does nothing while the sources stay the same", () => {
    expect(ensureBuilt()).toBe("built");
    expect(logged).toEqual(["building dist/: first build"]);
    expect(readFileSync(path.join(project, "dist", "lib", "answer.js"), "utf8")).toContain("41");
    logged = [];
    expect(ensureBuilt()).toBe("fresh");
    expect(logged).toEqual([]);
  });

  test("rebuilds when any source changes, however deep, and when the source goes back to older content", () => {
    ensureBuilt();
    writeSource("lib/answer.ts", "export const answer: number = 42;\n");
    expect(ensureBuilt()).toBe("built");
    expect(readFileSync(path.join(project, "dist", "lib", "answer.js"), "utf8")).toContain("42");
    // A checkout of the earlier commit: older content, newer modification time.
    writeSource("lib/answer.ts", "export const answer: number = 41;\n");
    expect(ensureBuilt()).toBe("built");
    expect(readFileSync(path.join(project, "dist", "lib", "answer.js"), "utf8")).toContain("41");
  });

  test("rebuilds when a source file is added or the compiler options change", () => {
    ensureBuilt();
    writeSource("lib/extra.ts", "export const extra = 1;\n");
    expect(ensureBuilt()).toBe("built");
    expect(existsSync(path.join(project, "dist", "lib", "extra.js"))).toBe(true);
    writeConfig("ES2017");
    expect(ensureBuilt()).toBe("built");
  });

  test("rebuilds when dist/ was deleted", () => {
    ensureBuilt();
    rmSync(path.join(project, "dist"), { recursive: true });
    expect(ensureBuilt()).toBe("built");
    expect(builtMain()).toContain("answer");
  });

  test("a source that does not compile: one line saying so after the compiler's errors, and the next run tries again", () => {
    ensureBuilt();
    writeSource("lib/answer.ts", "export const answer: number = !error;\n");
    logged = [];
    expect(ensureBuilt()).toBe("failed");
    expect(logged.slice(1, 2)).toEqual(["lib/answer.ts(1,1): error TS2322: stand-in"]);
    expect(logged.at(-1)).toBe("error: the TypeScript build failed (errors above); fix them and run again. Nothing was synthesized.");
    writeSource("lib/answer.ts", "export const answer: number = 43;\n");
    expect(ensureBuilt()).toBe("built");
    expect(builtMain()).toContain("answer");
  });

  test("a source touched but unchanged is found fresh by content, and after that by its size and time alone", () => {
    ensureBuilt();
    const answer = path.join(project, "lib", "answer.ts");
    const later = new Date(Date.now() + 60_000);
    utimesSync(answer, later, later);
    expect(ensureBuilt()).toBe("fresh");
    expect(logged).toEqual(["building dist/: first build"]);
    // The quick check trusts only files older than the record: backdate both to show it is used.
    const record = path.join(project, "dist", ".sources.stat.json");
    const stats = JSON.parse(readFileSync(record, "utf8")) as { at: number };
    writeFileSync(record, JSON.stringify({ ...stats, at: later.getTime() + 10_000 }));
    writeFileSync(path.join(project, "dist", ".sources.sha256"), "(a hash no content has)\n");
    expect(ensureBuilt()).toBe("fresh");
  });

  test("a change that keeps a file's size and time is still found, when it falls within the record's racy window", () => {
    ensureBuilt();
    const answer = path.join(project, "lib", "answer.ts");
    const { mtime } = statSync(answer);
    writeSource("lib/answer.ts", "export const answer: number = 42;\n");
    utimesSync(answer, mtime, mtime);
    expect(ensureBuilt()).toBe("built");
    expect(readFileSync(path.join(project, "dist", "lib", "answer.js"), "utf8")).toContain("42");
  });

  test("bundles the app after compiling, and writes a new bundle with every build", () => {
    ensureBuilt();
    expect(readFileSync(bundle(), "utf8")).toContain("answer");
    writeSource("main.ts", 'import { answer } from "./lib/answer";\nexport const main = answer + 1;\n');
    ensureBuilt();
    expect(readFileSync(bundle(), "utf8")).toContain("answer + 1");
  });

  test("where esbuild cannot run, the build goes on without a bundle, and no older bundle is left behind", () => {
    ensureBuilt();
    writeSource("lib/answer.ts", "export const answer: number = 42;\n");
    bundler = (_root: string, log: (line: string) => void) => {
      log("note: esbuild cannot run here (stand-in)");
      return undefined;
    };
    expect(ensureBuilt()).toBe("built");
    expect(existsSync(bundle())).toBe(false);
    expect(logged.at(-1)).toBe("note: esbuild cannot run here (stand-in)");
  });

  test("a bundle that fails fails the build, with one line, and the next run tries again", () => {
    writeSource("main.ts", "export const main = 1; // !unbundlable\n");
    expect(ensureBuilt()).toBe("failed");
    expect(logged.at(-1)).toBe("error: bundling dist/main.js failed: stand-in: cannot bundle");
    expect(existsSync(bundle())).toBe(false);
    writeSource("main.ts", "export const main = 1;\n");
    expect(ensureBuilt()).toBe("built");
  });

  test("a build after dist/ lost its app starts without the compiler's incremental record", () => {
    ensureBuilt();
    writeFileSync(path.join(project, "dist", ".tsbuildinfo"), "{}");
    rmSync(path.join(project, "dist", "main.js"));
    expect(ensureBuilt()).toBe("built");
    expect(existsSync(path.join(project, "dist", ".tsbuildinfo"))).toBe(false);
  });

  test("without TypeScript installed it refuses with one line instead of running stale code", () => {
    rmSync(path.join(project, "node_modules"));
    expect(build.ensureBuilt({ root: project, log: (line) => logged.push(line) })).toBe("failed");
    expect(logged).toEqual(["error: dist/ is missing or older than the sources, and TypeScript is not installed to rebuild it; run `npm ci`, then try again"]);
  });
});

describe("this project", () => {
  test("every compiled file of dist/ comes from a source the freshness hash reads", () => {
    const inputs = new Set(build.buildInputs(ROOT));
    const compiled = readdirSync(path.join(ROOT, "dist"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
      .map((entry) => path.relative(path.join(ROOT, "dist"), path.join(entry.parentPath, entry.name)).replace(/\.js$/, ".ts"))
      .filter((source) => existsSync(path.join(ROOT, source)));
    expect(compiled.length).toBeGreaterThan(50);
    expect(compiled.filter((source) => !inputs.has(source.split(path.sep).join("/")))).toEqual([]);
  });

  test("every cdktf CLI entry point and the npm scripts that run the app go through the freshness check", () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app).toBe("node bin/cdktf-app.js");
    const scripts = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.build).toBe("node bin/build.js");
    expect(scripts.synth).toBe("node bin/cdktf-app.js");
    expect(scripts.validate).toBe("node bin/validate.js");
    for (const [name, command] of Object.entries(scripts)) {
      if (/dist\//.test(command)) expect([name, command.startsWith("npm run build && ")]).toEqual([name, true]);
    }
  });
});
