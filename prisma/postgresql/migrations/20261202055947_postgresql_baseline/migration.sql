-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Run" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "stepsPerEpoch" INTEGER NOT NULL,
    "successReward" DOUBLE PRECISION NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "scoredCount" INTEGER,
    "excludedCount" INTEGER,
    "scoredEpochs" INTEGER,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SampleBlock" (
    "runId" INTEGER NOT NULL,
    "firstOrdinal" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "SampleBlock_pkey" PRIMARY KEY ("runId","firstOrdinal")
);

-- CreateTable
CREATE TABLE "Sample" (
    "runId" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "steps" BYTEA,
    "publishedScore" DOUBLE PRECISION,
    "datasetRowIndex" INTEGER,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("runId","ordinal")
);

-- CreateTable
CREATE TABLE "StepBlock" (
    "runId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "records" INTEGER NOT NULL,
    "entries" INTEGER NOT NULL,
    "counts" BYTEA NOT NULL,
    "sums" BYTEA NOT NULL,

    CONSTRAINT "StepBlock_pkey" PRIMARY KEY ("runId","seq")
);

-- CreateTable
CREATE TABLE "DatasetBlock" (
    "runId" INTEGER NOT NULL,
    "firstRow" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "hashes" BYTEA NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "DatasetBlock_pkey" PRIMARY KEY ("runId","firstRow")
);

-- CreateTable
CREATE TABLE "DatasetRow" (
    "runId" INTEGER NOT NULL,
    "rowIndex" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "promptHash" TEXT NOT NULL,
    "json" TEXT NOT NULL,

    CONSTRAINT "DatasetRow_pkey" PRIMARY KEY ("runId","rowIndex")
);

-- CreateTable
CREATE TABLE "ExampleBlock" (
    "runId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ExampleBlock_pkey" PRIMARY KEY ("runId","seq")
);

-- CreateTable
CREATE TABLE "Example" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "sampleOrdinal" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "reward" DOUBLE PRECISION NOT NULL,
    "success" BOOLEAN NOT NULL,
    "responseLength" INTEGER NOT NULL,
    "response" TEXT NOT NULL,

    CONSTRAINT "Example_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedSet" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "note" TEXT,
    "runId" INTEGER,
    "runName" TEXT NOT NULL,
    "runSource" TEXT NOT NULL,
    "runCreatedAt" TIMESTAMP(3) NOT NULL,
    "runUpdatedAt" TIMESTAMP(3) NOT NULL,
    "format" TEXT NOT NULL,
    "withScores" BOOLEAN NOT NULL,
    "method" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "seed" INTEGER,
    "parameters" TEXT NOT NULL,
    "prompts" INTEGER NOT NULL,
    "scored" INTEGER NOT NULL,
    "excluded" INTEGER NOT NULL,
    "selected" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "toolName" TEXT NOT NULL,
    "toolVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "identities" BYTEA NOT NULL,

    CONSTRAINT "SavedSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedSetFile" (
    "setId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "manifest" TEXT NOT NULL,

    CONSTRAINT "SavedSetFile_pkey" PRIMARY KEY ("setId","format")
);

-- CreateTable
CREATE TABLE "SavedSetChunk" (
    "setId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "SavedSetChunk_pkey" PRIMARY KEY ("setId","format","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "Run_name_key" ON "Run"("name");

-- CreateIndex
CREATE INDEX "DatasetRow_runId_promptHash_idx" ON "DatasetRow"("runId", "promptHash");

-- CreateIndex
CREATE INDEX "ExampleBlock_runId_bucket_idx" ON "ExampleBlock"("runId", "bucket");

-- CreateIndex
CREATE INDEX "Example_runId_sampleOrdinal_step_idx" ON "Example"("runId", "sampleOrdinal", "step");

-- CreateIndex
CREATE UNIQUE INDEX "SavedSet_name_key" ON "SavedSet"("name");

-- AddForeignKey
ALTER TABLE "SampleBlock" ADD CONSTRAINT "SampleBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Sample" ADD CONSTRAINT "Sample_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StepBlock" ADD CONSTRAINT "StepBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetBlock" ADD CONSTRAINT "DatasetBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetRow" ADD CONSTRAINT "DatasetRow_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExampleBlock" ADD CONSTRAINT "ExampleBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Example" ADD CONSTRAINT "Example_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSetFile" ADD CONSTRAINT "SavedSetFile_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SavedSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SavedSetChunk" ADD CONSTRAINT "SavedSetChunk_setId_format_fkey" FOREIGN KEY ("setId", "format") REFERENCES "SavedSetFile"("setId", "format") ON DELETE CASCADE ON UPDATE CASCADE;
