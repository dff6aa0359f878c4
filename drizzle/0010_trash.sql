ALTER TABLE `todo` ADD `deleted_at` datetime;--> statement-breakpoint
CREATE INDEX `todo_user_id_deleted_at_idx` ON `todo` (`user_id`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `todo_deleted_at_idx` ON `todo` (`deleted_at`);