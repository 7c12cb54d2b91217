// The UI's lint: ESLint's and typescript-eslint's recommended rules and the
// Rules of React (eslint-plugin-react-hooks), nothing written by hand. A hook
// dependency the code forgets is an error, not a warning, so that
// `npx eslint src` fails on it; so is a disable comment that no longer
// silences anything.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";
import { defineConfig } from "eslint/config";

export default defineConfig([
  { ignores: ["dist", "src/bindings.ts"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: { "react-hooks/exhaustive-deps": "error" },
  },
]);
