CREATE TABLE `session_revocation` (
	`session_id` varchar(64) NOT NULL,
	`user_id` int NOT NULL,
	`expires_at` timestamp NOT NULL,
	CONSTRAINT `session_revocation_session_id` PRIMARY KEY(`session_id`)
);
--> statement-breakpoint
ALTER TABLE `user` ADD `session_version` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `session_revocation` ADD CONSTRAINT `session_revocation_user_id_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `session_revocation_expires_at_idx` ON `session_revocation` (`expires_at`);