-- DropIndex
DROP INDEX "AuditEvent_organizationId_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "subjectUserId" UUID;

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_idx" ON "AuditEvent"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectUserId_idx" ON "AuditEvent"("subjectUserId");

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_subjectUserId_fkey" FOREIGN KEY ("subjectUserId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: member events named their member in details.memberUserId only. Joined on the text,
-- so that no detail is ever cast to uuid. A deleted account stays null (no row to join).
UPDATE "AuditEvent" e SET "subjectUserId" = u."id"
FROM "User" u
WHERE u."id"::text = e."details"->>'memberUserId';
