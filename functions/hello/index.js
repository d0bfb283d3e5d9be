// Deployed from source: Cloud Build packs this folder with Google Cloud's buildpacks and Cloud Run
// calls the exported function "hello" (build_config.function_target).
const functions = require("@google-cloud/functions-framework");

functions.http("hello", (req, res) => {
  res.send(`Hello, ${req.query.name ?? "world"}!`);
});
