-- CreateTable
CREATE TABLE "SampleBlock" (
    "runId" INTEGER NOT NULL,
    "firstOrdinal" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("runId", "firstOrdinal"),
    CONSTRAINT "SampleBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DatasetBlock" (
    "runId" INTEGER NOT NULL,
    "firstRow" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "hashes" BLOB NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("runId", "firstRow"),
    CONSTRAINT "DatasetBlock_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
