export interface Command {
  name: string;
  /** One line: the command with its flags, as shown in help and on a usage error. */
  usage: string;
  run(args: string[]): Promise<void>;
}
