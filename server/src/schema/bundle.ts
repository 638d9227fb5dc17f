// The entry of dist/schemas.js: the bundled schemas, kept out of dist/server.js so that the server
// starts without parsing them; loaded on the first schema check (server/src/schema/index.ts).

import type { ShapeTable } from './shape';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SHAPES: ShapeTable = require('./generated/shapes.json');
