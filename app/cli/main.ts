/**
 * `horizon-clv` command-line entry. `bin/horizon-clv.mjs` runs it prebuilt (dist/cli, compiled at
 * install/build time by scripts/build-cli.mjs) or, in a source checkout without a current build, through tsx.
 *
 *   horizon-clv fit       --summary FILE --model bgnbd|pnbd|mbgnbd|gg [--json]
 *   horizon-clv evaluate  --input FILE --customer COL --date COL --amount COL --calibration-end D --holdout-end D
 *   horizon-clv predict   --input FILE --customer COL --date COL --amount COL --horizon-days N --out FILE.csv
 *   horizon-clv train     … (the trainer's command, when installed)
 */
import { version } from "../../package.json";
import { EXIT, DataError, UsageError, processIO, type CliIO } from "./io";

/** A subcommand module: `run` returns the exit code; `help` is printed for --help. */
export interface CliCommand {
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  fit: { summary: "fit a model to a customer summary CSV", load: () => import("./commands/fit") },
  evaluate: {
    summary: "calibration/holdout evaluation of the models and the past-spend baseline",
    load: () => import("./commands/evaluate"),
  },
  predict: {
    summary: "per-customer CLV with interval, P(alive) and expected orders to a CSV",
    load: () => import("./commands/predict"),
  },
  train: { summary: "train the deep models from a transaction CSV (trainer)", load: () => import("./commands/train") },
};

function usage(): string {
  const lines = ["Usage: horizon-clv <command> [options]", "", "Commands:"];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  lines.push("", "Run `horizon-clv <command> --help` for the options of a command; `horizon-clv --version`.");
  return lines.join("\n") + "\n";
}

/**
 * Runs the CLI with `argv` (without node and script). Returns the exit code: 0 success, 1 bad
 * input data or a failed run, 2 bad usage. Output goes to `io` (default: the process streams).
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V" || name === "version") {
    io.stdout(`horizon-clv ${version}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`horizon-clv: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const cmd = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(cmd.help);
      return EXIT.ok;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`horizon-clv ${name}: ${e.message}\nRun \`horizon-clv ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof DataError) {
      io.stderr(`horizon-clv ${name}: ${e.message}\n`);
      return EXIT.data;
    }
    io.stderr(`horizon-clv ${name}: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.data;
  }
}
