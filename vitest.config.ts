import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit tests live beside the code (app/**/*.test.ts); integration and browser tests under test/.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: [
      "app/**/*.test.ts",
      "app/**/*.test.tsx",
      "extensions/*/src/**/*.test.{ts,tsx}",
      "test/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    // The extension tester imports the extension module itself: inlined so that import goes through
    // Vite (JSX, Preact's automatic runtime) instead of Node.
    server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    restoreMocks: true,
  },
});
