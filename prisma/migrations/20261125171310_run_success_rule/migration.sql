-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "stepsPerEpoch" INTEGER NOT NULL,
    "successReward" REAL NOT NULL,
    "promptField" TEXT NOT NULL,
    "keepExamples" INTEGER NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "rolloutCount" BIGINT NOT NULL,
    "stepCount" INTEGER NOT NULL,
    "firstStep" INTEGER NOT NULL,
    "lastStep" INTEGER NOT NULL,
    "bytesRead" BIGINT NOT NULL,
    "datasetFile" TEXT,
    "datasetRowCount" INTEGER NOT NULL,
    "unmatchedPrompts" INTEGER NOT NULL,
    "unseenDatasetRows" INTEGER NOT NULL,
    "warnings" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '[]',
    "epochMode" TEXT NOT NULL DEFAULT 'steps',
    "successRule" TEXT NOT NULL DEFAULT 'equals',
    "idField" TEXT,
    "datasetFormat" TEXT,
    "datasetSchema" TEXT,
    "live" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Run" ("bytesRead", "createdAt", "datasetFile", "datasetFormat", "datasetRowCount", "datasetSchema", "epochMode", "firstStep", "format", "id", "idField", "keepExamples", "kind", "lastStep", "live", "name", "notes", "promptField", "rolloutCount", "sampleCount", "source", "stepCount", "stepsPerEpoch", "successReward", "unmatchedPrompts", "unseenDatasetRows", "updatedAt", "warnings") SELECT "bytesRead", "createdAt", "datasetFile", "datasetFormat", "datasetRowCount", "datasetSchema", "epochMode", "firstStep", "format", "id", "idField", "keepExamples", "kind", "lastStep", "live", "name", "notes", "promptField", "rolloutCount", "sampleCount", "source", "stepCount", "stepsPerEpoch", "successReward", "unmatchedPrompts", "unseenDatasetRows", "updatedAt", "warnings" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE UNIQUE INDEX "Run_name_key" ON "Run"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
