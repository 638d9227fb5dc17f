// The entry of dist/schemas.js: the bundled schemas, kept out of dist/server.js so that the server
// starts without parsing them; loaded on the first schema check (server/src/schema/index.ts). Each
// kind's validator module is evaluated only when that kind is first checked.

import { VALIDATORS } from './generated/validators';
import type { ShapeTable } from './shape';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SHAPES: ShapeTable = require('./generated/shapes.json');
export { VALIDATORS };
