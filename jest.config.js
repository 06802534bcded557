/**
 * Unit and intent tests. Type-checking is done once by `npm run typecheck`, so ts-jest only
 * transpiles: `isolatedModules` in tsconfig.json makes it compile each file on its own.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
};
