// Imports every domain for its side effects on the builder, then prints the schema.
import { builder } from './builder.js';
import './scalars.js';
import './codes.js';
import './user.js';
import './organization.js';
import './invitations.js';
import './invitation-answers.js';
import './session.js';
import './reauth.js';
import './admin-sessions.js';
import './auth.js';
import './account.js';
import './mfa.js';
import './organization-mfa.js';
import './password-reset.js';
import './audit-event.js';
import './session-events.js';
import './session-presence.js';
import './organization-session-events.js';
import './webhooks.js';
import './webhook-deliveries.js';
import './organization-sessions.js';
import './organization-audit.js';

export const schema = builder.toSchema();
