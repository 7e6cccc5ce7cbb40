/**
 * Job handlers owned by the UI/services area, registered at import
 * (app/jobs/handlers.server.ts imports this module statically): `writeback.run`.
 */
import "./writeback.server";
