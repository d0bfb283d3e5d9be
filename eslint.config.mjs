// ESLint flat config: typescript-eslint's recommended rules, plus a guard against barrel imports
// of the provider packages (a barrel import loads ~1,500 modules and costs seconds per synth).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      "dist/",
      "lib/dist/",
      "coverage/",
      ".gen/",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-google",
              message: "Import from @cdktf/provider-google/lib/<resource> (synth speed).",
            },
            {
              name: "@cdktf/provider-time",
              message: "Import from @cdktf/provider-time/lib/<resource> (synth speed).",
            },
          ],
        },
      ],
    },
  },
);
