-- AlterTable
ALTER TABLE "MfaChallenge" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'SIGN_IN';

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "requireMfa" BOOLEAN NOT NULL DEFAULT false;
