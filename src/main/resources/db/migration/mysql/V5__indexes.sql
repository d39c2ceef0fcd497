-- Lookups from Leadflow's projection into the engine's tables must be able to use the engine's indexes.
-- Camunda creates its MySQL tables as utf8mb3_bin; with these columns in the database default
-- (utf8mb4_unicode_ci) MySQL compared by converting the engine's column, so every
-- "ACT_RU_EXECUTION.ID_ = lf_next_action.process_instance_id" (and ACT_RU_TASK.ID_ = task_id,
-- ACT_RU_JOB.PROCESS_INSTANCE_ID_ = process_instance_id) scanned the whole engine table once per row:
-- the audit's consistency checks took 2 s at 1,000 leads and 25 s at 3,000 (BENCHMARKS.md).
-- Engine ids are ASCII, so nothing is lost.
ALTER TABLE lf_next_action
    MODIFY process_instance_id VARCHAR(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin,
    MODIFY task_id VARCHAR(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin;

-- The engine's own missing index (ACT_RU_TASK.PARENT_TASK_ID_, read by every task completion) is added by
-- com.leadflow.process.EngineIndexesPlugin once the engine has created its tables, not here: Flyway runs
-- before the engine creates them on a new database.
