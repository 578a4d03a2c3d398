/** `--help` or `-h` among a kit script's arguments: print its usage and exit 0 before it does anything. */
export function exitOnHelp(usage: string, argv: string[] = process.argv.slice(2)): void {
  if (!argv.includes("--help") && !argv.includes("-h")) return;
  console.log(usage.trim());
  process.exit(0);
}
