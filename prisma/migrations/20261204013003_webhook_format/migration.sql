-- CreateEnum
CREATE TYPE "WebhookFormat" AS ENUM ('STANDARD_WEBHOOKS', 'CAEP');

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "format" "WebhookFormat" NOT NULL DEFAULT 'STANDARD_WEBHOOKS';

-- CreateTable
CREATE TABLE "CaepSigningKey" (
    "kid" TEXT NOT NULL,
    "generation" INTEGER NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateJwk" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaepSigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaepSigningKey_generation_key" ON "CaepSigningKey"("generation");
