-- CreateTable
CREATE TABLE "SavedSet" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "note" TEXT,
    "runId" INTEGER,
    "runName" TEXT NOT NULL,
    "runSource" TEXT NOT NULL,
    "runCreatedAt" DATETIME NOT NULL,
    "runUpdatedAt" DATETIME NOT NULL,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "identities" BLOB NOT NULL
);

-- CreateTable
CREATE TABLE "SavedSetFile" (
    "setId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "manifest" TEXT NOT NULL,

    PRIMARY KEY ("setId", "format"),
    CONSTRAINT "SavedSetFile_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SavedSet" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SavedSetChunk" (
    "setId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("setId", "format", "seq"),
    CONSTRAINT "SavedSetChunk_setId_format_fkey" FOREIGN KEY ("setId", "format") REFERENCES "SavedSetFile" ("setId", "format") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedSet_name_key" ON "SavedSet"("name");
