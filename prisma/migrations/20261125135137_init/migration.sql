-- CreateTable
CREATE TABLE "Run" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Sample" (
    "runId" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "promptHash" TEXT NOT NULL,
    "steps" BLOB NOT NULL,
    "rolloutCount" INTEGER NOT NULL,
    "publishedScore" REAL,
    "datasetRowIndex" INTEGER,

    PRIMARY KEY ("runId", "ordinal"),
    CONSTRAINT "Sample_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DatasetRow" (
    "runId" INTEGER NOT NULL,
    "rowIndex" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "promptHash" TEXT NOT NULL,
    "json" TEXT NOT NULL,

    PRIMARY KEY ("runId", "rowIndex"),
    CONSTRAINT "DatasetRow_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Example" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" INTEGER NOT NULL,
    "sampleOrdinal" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "reward" REAL NOT NULL,
    "success" BOOLEAN NOT NULL,
    "responseLength" INTEGER NOT NULL,
    "response" TEXT NOT NULL,
    CONSTRAINT "Example_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Run_name_key" ON "Run"("name");

-- CreateIndex
CREATE INDEX "Sample_runId_promptHash_idx" ON "Sample"("runId", "promptHash");

-- CreateIndex
CREATE INDEX "DatasetRow_runId_promptHash_idx" ON "DatasetRow"("runId", "promptHash");

-- CreateIndex
CREATE INDEX "Example_runId_sampleOrdinal_step_idx" ON "Example"("runId", "sampleOrdinal", "step");
