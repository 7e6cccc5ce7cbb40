/**
 * Job handlers owned by the UI/services area, registered at import (loaded by
 * app/jobs/handlers.server.ts → loadOptionalHandlers): `writeback.run`.
 */
import "./writeback.server";
