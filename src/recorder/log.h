/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IOMMUCTL_RECORDER_LOG_H
#define IOMMUCTL_RECORDER_LOG_H

#include <stddef.h>

/*
 * The binary log's storage (binlog.h) and the descriptor it is written
 * through, which the log owns: the program must not close or replace
 * it. All of it under the lock.
 */

/* Take fd (the new, empty log file), moved out of the program's way. */
void rec_log_open(int fd);
/* Unmap and close; the file keeps what was published. */
void rec_log_close(void);
/* The log's descriptor, -1 when there is none. */
int rec_log_fd(void);
/* The program dup2()s onto fd: if it is the log's, the log moves. */
void rec_log_fd_clash(int fd);

/*
 * Room for a record of len bytes (aligned) or NULL (it is dropped);
 * rec_log_publish() makes the filled record part of the log.
 */
void *rec_log_reserve(size_t len);
/* The same where room is mapped already, else NULL: no system call. */
void *rec_log_room(size_t len);
void rec_log_publish(void *rec, size_t len);
/* A finished trace line as a record. */
void rec_log_line(const char *line, size_t len);

#endif
