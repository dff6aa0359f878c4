CREATE TABLE `idempotency_receipt` (
	`id` int AUTO_INCREMENT NOT NULL,
	`user_id` int NOT NULL,
	`key` varchar(36) NOT NULL,
	`request_hash` varchar(64) NOT NULL,
	`outcome` text NOT NULL,
	`created_at` datetime NOT NULL,
	CONSTRAINT `idempotency_receipt_id` PRIMARY KEY(`id`),
	CONSTRAINT `idempotency_receipt_user_id_key_unique` UNIQUE(`user_id`,`key`)
);
--> statement-breakpoint
ALTER TABLE `idempotency_receipt` ADD CONSTRAINT `idempotency_receipt_user_id_user_id_fk` FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `idempotency_receipt_created_at_idx` ON `idempotency_receipt` (`created_at`);