// Imports every domain for its side effects on the builder, then prints the schema.
import { builder } from './builder.js';
import './scalars.js';
import './user.js';
import './organization.js';
import './session.js';
import './auth.js';
import './audit-event.js';
import './session-events.js';

export const schema = builder.toSchema();
