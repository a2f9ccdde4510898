/**
 * Names of the files the seeder Job mounts, shared by the construct that writes them into
 * ConfigMaps (seeder-job.ts) and the loader that reads them (seeder/load.ts).
 */

/** The file the Job runs: it joins the program's parts, checks them and runs the program. */
export const LOADER_FILE = 'load.js';

/** The program's brotli-compressed parts are `<prefix><n>`, n counting from 0. */
export const PROGRAM_PART_PREFIX = 'program.br.';
