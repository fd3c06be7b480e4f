/*
 * A stand-in for the kernel's swap-in fault handler, written for the Swap Race demo.
 * It is not kernel source: it only has the name and signature of do_swap_page() in
 * mm/memory.c, so that the Swap Race CodeLens appears above it. Open a real kernel
 * tree to see the lenses on the real functions. The demo's settings (.vscode/settings.json)
 * make the lens explore v6.7, the last version with the unpinned direct swap-in path.
 */
struct vm_fault;
typedef unsigned int vm_fault_t;

vm_fault_t do_swap_page(struct vm_fault *vmf)
{
	/*
	 * The real function looks up the swap entry of the faulting PTE, reads the page in
	 * (directly on SWP_SYNCHRONOUS_IO devices, or through the swap cache), then takes the
	 * page-table lock and installs the page only if the PTE still holds the same entry.
	 */
	(void)vmf;
	return 0;
}
