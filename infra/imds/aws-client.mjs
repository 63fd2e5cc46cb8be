// Reads an instance's maintenance events with the AWS SDK's own metadata client, as an agent on
// EC2 would, with the instance's metadata address in place of http://169.254.169.254:
//   node aws-client.mjs <base address> scheduled|history
// Prints what the service answered; exits 1 with the SDK's error otherwise.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { MetadataService } = require("@aws-sdk/ec2-metadata-service");

const [endpoint, which = "scheduled"] = process.argv.slice(2);
// IMDSv2 only: a session token first (the SDK asks for it at the root of the endpoint's host).
const service = new MetadataService({ endpoint, ec2MetadataV1Disabled: true, httpOptions: { timeout: 5000 } });
try {
  process.stdout.write(await service.request(`/latest/meta-data/events/maintenance/${which}`, {}));
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
