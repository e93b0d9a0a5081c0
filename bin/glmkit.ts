#!/usr/bin/env node
// --help (and no command) print the usage without loading the library (bin/usage.ts); the rest goes to main.ts.
import { USAGE } from "./usage.js";

const argv = process.argv.slice(2);
const command = argv[0];
if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  process.stdout.write(USAGE + "\n");
  process.exitCode = command === undefined ? 2 : 0;
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
}
