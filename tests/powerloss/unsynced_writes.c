// LD_PRELOAD shim that turns SIGKILL into a power cut, for tests/e2e/crash_test.go.
//
// A killed process loses nothing the kernel already has, so killing rampartd alone cannot
// tell a durable commit from one that was merely written. Under this shim, writes to the
// files below $RAMPART_POWERLOSS_DIR stay in the process's memory until fsync/fdatasync
// (or ftruncate/close) hands them to the kernel: SIGKILL then loses exactly what a machine
// losing power could lose, everything written but not synced. Reads and fstat see the
// unsynced writes, as they would see the page cache. SQLite's shared-memory index (-shm)
// is left alone: SQLite rebuilds it after a crash.
//
// Covers the calls SQLite's unix VFS makes on a database or WAL file: open, pread/pwrite
// (and read/write at the file offset), fstat, ftruncate, fsync/fdatasync, close.
// Built by the test: cc -shared -fPIC -o unsynced_writes.so unsynced_writes.c -ldl -lpthread
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FDS 4096

struct pending_write {
  off_t offset;
  size_t length;
  char* data;
  struct pending_write* next;
};

struct tracked_file {
  int active;
  off_t logical_size;  // the size the process sees, unsynced writes included
  struct pending_write* head;
  struct pending_write* tail;
};

static struct tracked_file files[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_pwrite)(int, const void*, size_t, off_t);
static ssize_t (*real_pread)(int, void*, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_close)(int);
static int (*real_fstat)(int, struct stat*);
static int (*real_open)(const char*, int, ...);
static int (*real_openat)(int, const char*, int, ...);
static off_t (*real_lseek)(int, off_t, int);

__attribute__((constructor)) static void resolve(void) {
  real_pwrite = dlsym(RTLD_NEXT, "pwrite64");
  real_pread = dlsym(RTLD_NEXT, "pread64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  real_ftruncate = dlsym(RTLD_NEXT, "ftruncate64");
  real_close = dlsym(RTLD_NEXT, "close");
  real_fstat = dlsym(RTLD_NEXT, "fstat64");
  real_open = dlsym(RTLD_NEXT, "open64");
  real_openat = dlsym(RTLD_NEXT, "openat64");
  real_lseek = dlsym(RTLD_NEXT, "lseek64");
}

static int is_tracked_path(const char* path) {
  const char* dir = getenv("RAMPART_POWERLOSS_DIR");
  if (dir == NULL || *dir == '\0' || path == NULL) return 0;
  size_t dir_length = strlen(dir);
  size_t path_length = strlen(path);
  if (strncmp(path, dir, dir_length) != 0) return 0;
  return !(path_length >= 4 && strcmp(path + path_length - 4, "-shm") == 0);
}

static struct tracked_file* tracked(int fd) {
  return fd >= 0 && fd < MAX_FDS && files[fd].active ? &files[fd] : NULL;
}

static void start_tracking(int fd, const char* path) {
  if (fd < 0 || fd >= MAX_FDS || !is_tracked_path(path)) return;
  struct stat status;
  if (real_fstat(fd, &status) != 0) return;
  pthread_mutex_lock(&lock);
  files[fd].active = 1;
  files[fd].logical_size = status.st_size;
  files[fd].head = files[fd].tail = NULL;
  pthread_mutex_unlock(&lock);
}

// Hands the unsynced writes to the kernel, in the order they were made. REQUIRES: lock held.
static int flush(int fd, struct tracked_file* file) {
  int result = 0;
  while (file->head != NULL) {
    struct pending_write* write = file->head;
    if (real_pwrite(fd, write->data, write->length, write->offset) != (ssize_t)write->length) result = -1;
    file->head = write->next;
    free(write->data);
    free(write);
  }
  file->tail = NULL;
  return result;
}

static int open_mode_needed(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

int open64(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (open_mode_needed(flags)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  int fd = real_open(path, flags, mode);
  start_tracking(fd, path);
  return fd;
}

int open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (open_mode_needed(flags)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  return open64(path, flags, mode);
}

int openat64(int dirfd, const char* path, int flags, ...) {
  mode_t mode = 0;
  if (open_mode_needed(flags)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  int fd = real_openat(dirfd, path, flags, mode);
  if (path[0] == '/') start_tracking(fd, path);
  return fd;
}

int openat(int dirfd, const char* path, int flags, ...) {
  mode_t mode = 0;
  if (open_mode_needed(flags)) {
    va_list args;
    va_start(args, flags);
    mode = va_arg(args, mode_t);
    va_end(args);
  }
  return openat64(dirfd, path, flags, mode);
}

ssize_t pwrite64(int fd, const void* data, size_t length, off_t offset) {
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  if (file == NULL) {
    pthread_mutex_unlock(&lock);
    return real_pwrite(fd, data, length, offset);
  }
  struct pending_write* write = malloc(sizeof(*write));
  write->offset = offset;
  write->length = length;
  write->data = malloc(length > 0 ? length : 1);
  memcpy(write->data, data, length);
  write->next = NULL;
  if (file->tail != NULL) {
    file->tail->next = write;
  } else {
    file->head = write;
  }
  file->tail = write;
  if (offset + (off_t)length > file->logical_size) file->logical_size = offset + (off_t)length;
  pthread_mutex_unlock(&lock);
  return (ssize_t)length;
}

ssize_t pwrite(int fd, const void* data, size_t length, off_t offset) {
  return pwrite64(fd, data, length, offset);
}

ssize_t pread64(int fd, void* buffer, size_t length, off_t offset) {
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  if (file == NULL) {
    pthread_mutex_unlock(&lock);
    return real_pread(fd, buffer, length, offset);
  }
  if (offset >= file->logical_size) {
    pthread_mutex_unlock(&lock);
    return 0;
  }
  if (offset + (off_t)length > file->logical_size) length = (size_t)(file->logical_size - offset);
  ssize_t got = real_pread(fd, buffer, length, offset);
  if (got < 0) {
    pthread_mutex_unlock(&lock);
    return got;
  }
  memset((char*)buffer + got, 0, length - (size_t)got);  // written, not yet synced: a hole
  for (struct pending_write* write = file->head; write != NULL; write = write->next) {
    off_t start = write->offset > offset ? write->offset : offset;
    off_t end = write->offset + (off_t)write->length;
    if (end > offset + (off_t)length) end = offset + (off_t)length;
    if (start < end) memcpy((char*)buffer + (start - offset), write->data + (start - write->offset), end - start);
  }
  pthread_mutex_unlock(&lock);
  return (ssize_t)length;
}

ssize_t pread(int fd, void* buffer, size_t length, off_t offset) { return pread64(fd, buffer, length, offset); }

ssize_t write(int fd, const void* data, size_t length) {
  if (tracked(fd) == NULL) {
    static ssize_t (*real_write)(int, const void*, size_t);
    if (real_write == NULL) real_write = dlsym(RTLD_NEXT, "write");
    return real_write(fd, data, length);
  }
  off_t offset = real_lseek(fd, 0, SEEK_CUR);
  ssize_t written = pwrite64(fd, data, length, offset);
  if (written > 0) real_lseek(fd, offset + written, SEEK_SET);
  return written;
}

ssize_t read(int fd, void* buffer, size_t length) {
  if (tracked(fd) == NULL) {
    static ssize_t (*real_read)(int, void*, size_t);
    if (real_read == NULL) real_read = dlsym(RTLD_NEXT, "read");
    return real_read(fd, buffer, length);
  }
  off_t offset = real_lseek(fd, 0, SEEK_CUR);
  ssize_t got = pread64(fd, buffer, length, offset);
  if (got > 0) real_lseek(fd, offset + got, SEEK_SET);
  return got;
}

int fstat(int fd, struct stat* status) {
  int result = real_fstat(fd, status);
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  if (result == 0 && file != NULL && file->logical_size > status->st_size) status->st_size = file->logical_size;
  pthread_mutex_unlock(&lock);
  return result;
}

// On 64-bit Linux, struct stat64 and struct stat are the same layout.
int fstat64(int fd, struct stat64* status) { return fstat(fd, (struct stat*)status); }

static int sync_with(int fd, int (*real_sync)(int)) {
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  int flushed = file != NULL ? flush(fd, file) : 0;
  pthread_mutex_unlock(&lock);
  int result = real_sync(fd);
  return flushed != 0 ? -1 : result;
}

int fsync(int fd) { return sync_with(fd, real_fsync); }
int fdatasync(int fd) { return sync_with(fd, real_fdatasync); }

// Truncating and closing apply what is pending first: simpler than simulating a lost
// truncation, and it only makes the simulated power cut lose less, never more.
int ftruncate64(int fd, off_t size) {
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  if (file != NULL) {
    flush(fd, file);
    file->logical_size = size;
  }
  pthread_mutex_unlock(&lock);
  return real_ftruncate(fd, size);
}

int ftruncate(int fd, off_t size) { return ftruncate64(fd, size); }

int close(int fd) {
  pthread_mutex_lock(&lock);
  struct tracked_file* file = tracked(fd);
  if (file != NULL) {
    flush(fd, file);
    file->active = 0;
  }
  pthread_mutex_unlock(&lock);
  return real_close(fd);
}
