import { parentPort } from "node:worker_threads";
import { IngestError } from "../errors";
import { recycleExampleBuffers } from "./example-buffers";
import { forTransfer } from "./pack-step-batch";
import { StepFileScanner } from "./scan-step-pieces";
import type { ScanJob, ScanReply } from "./scan-pool";

/** One scanning thread: reads a step file piece by piece and scans it. */
const scanner = new StepFileScanner();
const port = parentPort!;

port.on("message", (job: ScanJob) => {
  if (job.recycled) recycleExampleBuffers(job.recycled);
  let reply: ScanReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const packed = forTransfer(scanner.scan(job.path, job));
    reply = { id: job.id, batch: packed.batch };
    transfer = packed.transfer;
  } catch (e) {
    const err = e as IngestError;
    reply = {
      id: job.id,
      error: { message: err.message, ingest: e instanceof IngestError, file: err.file, element: err.element, offset: err.offset, field: err.field },
    };
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true });
