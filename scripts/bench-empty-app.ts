/** The benchmark's baseline: an empty cdktf app with one stack and one AWS provider, synthesized with plain node. */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";

const app = new App();
const stack = new TerraformStack(app, "empty");
new AwsProvider(stack, "aws", { region: "us-east-1" });
app.synth();
