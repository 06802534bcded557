/**
 * No entry point runs code older than the sources: cdktf runs the app through bin/cdktf-app.js,
 * which rebuilds dist/ when what the compiler reads has changed (by content, not by time), and
 * refuses with one line when it cannot. Proven on a small project of its own with a stand-in
 * compiler (tsc takes seconds a run; `npm test` runs the real one through the same file first).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
// Plain JavaScript that runs before anything is built; required, not imported, for that reason.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require("../bin/build.js") as {
  ensureBuilt(options: { root: string; log: (line: string) => void; compiler?: string }): "fresh" | "built" | "failed";
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
const { include } = JSON.parse(fs.readFileSync("tsconfig.build.json", "utf8"));
const sources = include.flatMap((p) => p.endsWith("/**/*.ts") ? fs.readdirSync(p.slice(0, -8), { recursive: true }).filter((f) => f.endsWith(".ts")).map((f) => path.join(p.slice(0, -8), f)) : [p]);
const broken = sources.filter((s) => fs.readFileSync(s, "utf8").includes("!error"));
if (broken.length) { console.log(broken.map((s) => s + "(1,1): error TS2322: stand-in").join("\\n")); process.exit(2); }
for (const s of sources) { const out = path.join("dist", s.replace(/\\.ts$/, ".js")); fs.mkdirSync(path.dirname(out), { recursive: true }); fs.writeFileSync(out, fs.readFileSync(s)); }
`;

function writeSource(file: string, text: string) {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

const ensureBuilt = () => build.ensureBuilt({ root: project, log: (line) => logged.push(line), compiler: path.join(project, "compiler.js") });
const builtMain = () => readFileSync(path.join(project, "dist", "main.js"), "utf8");

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), "baseline-build-"));
  logged = [];
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
  writeSource("compiler.js", STAND_IN_COMPILER);
  writeSource("tsconfig.json", JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: ".", module: "commonjs", target: "ES2022", strict: true } }));
  writeSource("tsconfig.build.json", JSON.stringify({ extends: "./tsconfig.json", include: ["main.ts", "lib/**/*.ts"] }));
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
    writeSource("tsconfig.json", JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: ".", module: "commonjs", target: "ES2017", strict: true } }));
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
