/**
 * Saved sets: a selection kept as the exact bytes `lim export` wrote, with its provenance,
 * surviving a re-scored, replaced or deleted run. The CLI (`lim sets`) and the web pages
 * call these functions only.
 */
export { saveSet, type SaveSetOptions } from "./save-set";
export { deleteSet, getSet, listSets, requireSet } from "./set-store";
export { setExport, setExportBytes, writeSetExport, type SetExport } from "./set-export";
export { setManifest, type SetManifest } from "./set-manifest";
export { diffIdentities, diffSets, setIdentities, type SetDiff } from "./diff-sets";
export type { RowIdentity } from "./row-identities";
export { SetExistsError, SetNotFoundError, setNameProblem } from "./errors";
export type { SavedSet } from "./types";
export { setTransferManifest, setTransferSource } from "./set-transfer";
