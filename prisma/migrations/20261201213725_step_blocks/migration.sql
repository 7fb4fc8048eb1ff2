-- AlterTable
ALTER TABLE "Run" ADD COLUMN "excludedCount" INTEGER;
ALTER TABLE "Run" ADD COLUMN "scoredCount" INTEGER;
ALTER TABLE "Run" ADD COLUMN "scoredEpochs" INTEGER;

-- CreateTable
CREATE TABLE "StepBlock" (
    "runId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "step" INTEGER NOT NULL,
    "records" INTEGER NOT NULL,
    "entries" INTEGER NOT NULL,
    "counts" BLOB NOT NULL,
    "sums" BLOB NOT NULL,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "StepBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExampleBlock" (
    "runId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "ExampleBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Sample" (
    "runId" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "steps" BLOB,
    "publishedScore" REAL,
    "datasetRowIndex" INTEGER,

    PRIMARY KEY ("runId", "ordinal"),
    CONSTRAINT "Sample_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Sample" ("datasetRowIndex", "ordinal", "prompt", "publishedScore", "runId", "steps") SELECT "datasetRowIndex", "ordinal", "prompt", "publishedScore", "runId", "steps" FROM "Sample";
DROP TABLE "Sample";
ALTER TABLE "new_Sample" RENAME TO "Sample";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ExampleBlock_runId_bucket_idx" ON "ExampleBlock"("runId", "bucket");
