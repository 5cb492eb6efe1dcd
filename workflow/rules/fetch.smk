# Stage: fetch (to be written).
