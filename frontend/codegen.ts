// Operation types generated from the API's schema (../schema.graphql, exported by `make schema`): a query
// that no longer matches the schema fails `npm run build`. Output in src/gql/ is generated, not committed.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: "string", // plain strings over fetch and graphql-ws; no GraphQL runtime in the bundle
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        strictScalars: true,
        // Cents: integer cents, exact in a JS number up to 2^53 - 1 (the server refuses more).
        scalars: { Date: "string", DateTime: "string", JSON: "unknown", Cents: "number" },
      },
    },
  },
};

export default config;
