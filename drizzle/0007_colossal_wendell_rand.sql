ALTER TABLE `todo` ADD `due_at` datetime;--> statement-breakpoint
ALTER TABLE `todo` ADD `remind_at` datetime;--> statement-breakpoint
ALTER TABLE `todo` ADD `repeat` varchar(255);--> statement-breakpoint
ALTER TABLE `user` ADD `time_zone` varchar(64) DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
CREATE INDEX `todo_user_id_is_done_due_at_idx` ON `todo` (`user_id`,`is_done`,`due_at`);