-- DropTable
DROP TABLE "RateLimit";

-- CreateTable
CREATE TABLE "SupersededToken" (
    "tokenHash" TEXT NOT NULL,
    "sessionId" UUID NOT NULL,
    "supersededAt" TIMESTAMP(3) NOT NULL,
    "successorNonce" TEXT NOT NULL,

    CONSTRAINT "SupersededToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMP(3),

    CONSTRAINT "RateLimiterFlexible_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SupersededToken_sessionId_idx" ON "SupersededToken"("sessionId");

-- CreateIndex
CREATE INDEX "RateLimiterFlexible_expire_idx" ON "RateLimiterFlexible"("expire");

-- AddForeignKey
ALTER TABLE "SupersededToken" ADD CONSTRAINT "SupersededToken_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Keep each session's last superseded token (its grace window and reuse detection survive the upgrade).
INSERT INTO "SupersededToken" ("tokenHash", "sessionId", "supersededAt", "successorNonce")
SELECT "previousTokenHash", "id", "tokenRotatedAt", '' FROM "Session" WHERE "previousTokenHash" IS NOT NULL;

-- DropIndex
DROP INDEX "Session_previousTokenHash_key";

-- AlterTable
ALTER TABLE "Session" DROP COLUMN "previousTokenHash";

