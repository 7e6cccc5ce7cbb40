/**
 * Job type names of the trainer, in a module without dependencies: the web process enqueues and
 * reports training jobs without loading the trainer (TF.js, its worker thread).
 */

/** Fits the shop's models and writes predictions (app/training/training-job.server.ts). */
export const TRAINING_JOB = "training.run";
