-- Same version as mysql/V5__indexes.sql. H2 compares the projection's engine ids (lf_next_action
-- process_instance_id, task_id) with the engine's columns without any conversion, so nothing changes
-- here. The engine's own missing index (ACT_RU_TASK.PARENT_TASK_ID_) is added by
-- com.leadflow.process.EngineIndexesPlugin once the engine has created its tables.
SELECT 1;
