"""A bounded FIFO queue, the Python twin of ring.c."""


class Queue:
    def __init__(self, capacity):
        if capacity <= 0:
            raise ValueError("capacity must be positive, got %d" % capacity)
        self.items = [None] * capacity
        self.head = 0
        self.size = 0

    def push(self, value):
        if self.size == len(self.items):
            return False
        tail = (self.head + self.size) % len(self.items)
        self.items[tail] = value
        self.size += 1
        return True

    def pop(self):
        if self.size == 0:
            raise IndexError("pop from an empty queue")
        value = self.items[self.head]
        self.items[self.head] = None
        self.head = (self.head + 1) % len(self.items)
        self.size -= 1
        return value

    def __len__(self):
        return self.size


if __name__ == "__main__":
    q = Queue(3)
    for word in ["alpha", "beta", "gamma", "delta"]:
        print(word, q.push(word))
    while len(q) > 0:
        print(q.pop())
