/** writeRun refuses a name that is taken unless asked to replace it. */
export class RunExistsError extends Error {
  readonly runName: string;
  constructor(runName: string) {
    super(`A run named "${runName}" already exists; choose another name or replace it (--replace)`);
    this.name = "RunExistsError";
    this.runName = runName;
  }
}
